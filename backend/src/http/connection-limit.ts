/**
 * A cap on the sockets one address may hold open, counted as they connect: before any byte of a
 * request, so a client that opens sockets and sends nothing (each held up to the headers timeout)
 * cannot take the server's file descriptors. Past the cap a new socket is closed at once. Not
 * used behind a trusted proxy, where every socket comes from the proxy; the per-request cap
 * (client-limit.ts) still counts each client there.
 */
import type { Server } from 'node:http';

export function limitConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
