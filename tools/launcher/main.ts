// npm run launch: the distributed topology as processes on this machine, on the compose ports
// (gateway on 3000). Ctrl-C stops everything and deletes its databases and broker data.
import { launchTopology } from './launch';

async function main() {
  const topology = await launchTopology({ fixedPorts: process.env.LAUNCH_FREE_PORTS !== '1', log: (line) => console.log(line) });
  console.log(`\nthe platform, as separate services on Kafka, answers at ${topology.gatewayUrl} (API docs at /api/docs)`);
  // Given (ADMIN_PASSWORD) or generated for this launch: the person who launched it needs it to sign in.
  console.log(`sign in as admin with the password ${process.env.ADMIN_PASSWORD ? 'in ADMIN_PASSWORD' : topology.adminPassword} (POST ${topology.gatewayUrl}/oauth/token)`);
  const stop = async () => {
    console.log('stopping…');
    await topology.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
