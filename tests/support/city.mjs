// What the Node.js tests share about a demo city served by `jundeng serve`:
//   parseAccounts(text): the accounts `jundeng demo` prints, by username ({username, role, org,
//     password}; the passwords are one-time).
//   waitForServer(server, portFile, log): the origin ("http://127.0.0.1:PORT") once the server
//     that writes its port to `portFile` answers /healthz; throws with log() when it exits first
//     or does not answer within 60 s.
import fs from 'node:fs';

export function parseAccounts(text) {
  const accounts = {};
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Demo accounts'));
  for (const line of lines.slice(start + 1)) {
    const m = /^\s+(\S+)\s+(\S+)\s+(\d{6,12})\s+(\S+)\s*$/.exec(line);
    if (m && m[1] !== 'username') accounts[m[1]] = { username: m[1], role: m[2], org: m[3], password: m[4] };
  }
  return accounts;
}

export async function waitForServer(server, portFile, log) {
  for (let i = 0; i < 600; i++) {
    if (fs.existsSync(portFile)) {
      const port = fs.readFileSync(portFile, 'utf8').trim();
      if (port) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`);
          if (r.ok) return `http://127.0.0.1:${port}`;
        } catch {
          /* not yet */
        }
      }
    }
    if (server.exitCode !== null) throw new Error(`the server exited: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}
