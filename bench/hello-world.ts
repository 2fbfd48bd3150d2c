// The throughput benchmark's baseline: Fastify answering "hello world" on as many workers
// (node:cluster) as Paperboy runs, so the two figures of one run can be compared as a ratio.
import cluster from 'node:cluster';
import Fastify from 'fastify';

const workers = Number(process.argv[2] ?? 1);
if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const app = Fastify();
  app.get('/', async () => ({ hello: 'world' }));
  const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  console.log(`Server listening at ${address}`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}
