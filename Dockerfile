# The image of any one service or of the gateway: SERVICE names its project under services/, PORT the
# port it listens on (the topology's, tools/deploy/topology.ts). Build it from the repository root, as
# docker-compose.yml does:
#   docker build --build-arg SERVICE=training-service --build-arg PORT=3002 -t skills-ladder/training-service .
#   docker build --build-arg SERVICE=gateway --build-arg PORT=3000 -t skills-ladder/gateway .
# The defaults build trainee-service on 3001. tools/deploy/compose.spec.ts checks this file, and that
# every compose service builds it with its own SERVICE and PORT.
ARG SERVICE=trainee-service
ARG PORT=3001

# 1. Compile. tools/register.js runs TypeScript through swc, a devDependency, so a throwaway stage
#    installs everything and compiles the service and the libs it imports to CommonJS.
FROM node:22-bookworm-slim AS build
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: the lockfile lacks the platform builds of @swc/core and friends that
# the project's registry does not serve, so `npm ci` refuses it (see .ci/run); `npm install` still
# installs every package the lockfile lists at its locked version. No install script is needed here.
RUN npm install --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json ./
COPY tools/deploy/compose/compile.js tools/deploy/compose/
COPY libs libs
COPY services/${SERVICE} services/${SERVICE}
# A SERVICE that names no project (or none at all) stops here, not as a puzzling compile error.
RUN test -n "${SERVICE}" && test -f "services/${SERVICE}/src/main.ts" \
  || { echo "SERVICE=\"${SERVICE}\": no services/${SERVICE}/src/main.ts (build with --build-arg SERVICE=<project under services/>)" >&2; exit 1; }
RUN node tools/deploy/compose/compile.js services/${SERVICE}/src/main.ts dist
# The gateway also serves the web console (at /, from `console` beside its compiled main.js:
# services/gateway/src/console, where the gateway looks first). Its typed API client
# is generated from every service's OpenAPI document, so this build reads all of services/ (Nest's preview
# mode: no database), then Vite bundles it. Other images skip it.
COPY services services
COPY tools/register.js tools/
COPY tools/openapi tools/openapi
RUN if [ "${SERVICE}" = gateway ]; then \
      node -r ./tools/register.js tools/openapi/write-document.ts /tmp/openapi.json \
      && npx openapi-typescript /tmp/openapi.json --output services/console/src/api/schema.d.ts \
      && npx tsc -p services/console/tsconfig.json --noEmit \
      && npx vite build --config services/console/vite.config.ts --outDir /app/dist/services/gateway/src/console; \
    fi

# 2. Production dependencies only; no optional ones either (embedded Postgres binaries and the like:
#    this Postgres is a container of its own).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --omit=optional --no-audit --no-fund --ignore-scripts
# Fails the build if the compiled code requires a package the production install lacks.
COPY --from=build /app/dist/required-modules.json ./
RUN node -e "for (const id of require('./required-modules.json')) require.resolve(id, { paths: [process.cwd()] })"

# 3. Run: compiled JavaScript and production node_modules, owned by root, run as the unprivileged node user.
FROM node:22-bookworm-slim
ARG SERVICE
ARG PORT
ENV NODE_ENV=production PORT=${PORT}
LABEL org.opencontainers.image.title="skills-ladder/${SERVICE}"
# trainee-service sets the archive and certificate PDFs in Noto Sans CJK (PDF_FONT's default path).
RUN if [ "${SERVICE}" = trainee-service ]; then \
      apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist ./
USER node
EXPOSE ${PORT}
# The slim image has no curl; Node's fetch asks the liveness endpoint on the port the process listens on
# (PORT: the build argument's value, or whatever the deployment sets it to at run time).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "main.js"]
