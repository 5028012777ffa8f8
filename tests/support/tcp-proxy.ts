import net from 'node:net';

/**
 * A loopback TCP proxy that a test can cut and restore (a crashed server), or pause and resume (a stalled server or
 * network: connections open, bytes go nowhere), to make a real service unreachable or unresponsive and back.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const pairs = new Set<{ sockets: [net.Socket, net.Socket]; held: Array<[net.Socket, Buffer]> }>();
  let server: net.Server | undefined;
  let port = 0;
  let paused = false;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        const pair = { sockets: [client, upstream] as [net.Socket, net.Socket], held: [] as Array<[net.Socket, Buffer]> };
        pairs.add(pair);
        const forward = (from: net.Socket, to: net.Socket) => {
          // While paused, what either side sends is held; a side that gives up meanwhile takes it with it.
          from.on('data', (chunk: Buffer) => (paused ? pair.held.push([to, chunk]) : to.write(chunk)));
          from.on('close', () => {
            pairs.delete(pair);
            if (paused) to.destroy();
            else to.end();
          });
          from.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        };
        forward(client, upstream);
        forward(upstream, client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const destroyAll = () => {
    for (const p of pairs) for (const s of p.sockets) s.destroy();
    pairs.clear();
  };
  await listen();
  return {
    get port() {
      return port;
    },
    /** Refuses new connections and resets every open one, as a crashed server would. */
    async cut() {
      destroyAll();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
    restore: listen,
    /** Accepts connections and bytes but delivers none, as a stalled server or network would. */
    pause() {
      paused = true;
    },
    /** Delivers what was held, in order, and forwards again. */
    resume() {
      paused = false;
      for (const p of pairs) for (const [to, chunk] of p.held.splice(0)) to.write(chunk);
    },
    close: async () => {
      destroyAll();
      await new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}
