-- Run once by the postgres image on an empty data directory (mounted into /docker-entrypoint-initdb.d):
-- one database per service on the one Postgres, as tools/deploy/topology.ts says. Each service
-- migrates its own schema at start.
CREATE DATABASE trainee;
CREATE DATABASE training;
CREATE DATABASE certification;
CREATE DATABASE placement;
CREATE DATABASE brand;
CREATE DATABASE identity;
