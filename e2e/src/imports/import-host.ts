// A host of trainee-service and training-service in a process of its own, for a spec that kills it
// (SIGKILL: no shutdown hook runs, the transaction in flight is cut off) and starts another on the same
// database: `node -r ./tools/register.js e2e/src/imports/import-host.ts` with IMPORT_HOST_DATABASE_URL
// and IMPORT_HOST_PORT. It checks tokens against the spec's test issuer, whose JWKS the spec serves on
// 127.0.0.1 and names in IDENTITY_SERVICE_URL, which this process inherits.
import { startTestHost } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';

async function main(): Promise<void> {
  const databaseUrl = process.env.IMPORT_HOST_DATABASE_URL;
  const port = Number(process.env.IMPORT_HOST_PORT);
  if (!databaseUrl || !port) throw new Error('IMPORT_HOST_DATABASE_URL and IMPORT_HOST_PORT are needed');
  const host = await startTestHost({ modules: [TraineeModule, TrainingModule], transport: 'in-process', databaseUrl, port });
  // A graceful stop too (the spec's clean-up of a host it did not kill).
  process.once('SIGTERM', () => void host.close().finally(() => process.exit(0)));
  // The line the spec waits for before it calls the host.
  console.log(`import host listening on ${host.baseUrl}`);
}

main().catch((error: Error) => {
  console.error(`import host failed to start: ${error.stack ?? error.message}`);
  process.exit(1);
});
