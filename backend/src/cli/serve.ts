/**
 * `almready serve`: the HTTP server with configuration from the environment. SIGTERM/SIGINT
 * shut it down gracefully (in-flight requests finish) and the process exits 0.
 */
import type { Command } from 'commander';
import type { CliContext } from './main.ts';

export function registerServe(program: Command, context: CliContext): void {
  program.command('serve')
    .description('Run the ALMReady server (configuration from ALMREADY_* environment variables)')
    .option('--port <port>', 'port to listen on (overrides ALMREADY_PORT; 0 picks a free one)')
    .option('--host <host>', 'interface to bind (overrides ALMREADY_HOST)')
    .option('--no-demo', 'do not create the demo workspace')
    .action(async (options: { port?: string; host?: string; demo: boolean }) => {
      // The server's modules load only when it starts, so the other commands and `--help` start at once.
      const [{ ConfigError, loadConfig }, { startServer }] = await Promise.all([import('../config.ts'), import('../server.ts')]);
      let config;
      try {
        config = loadConfig({
          ...process.env,
          ...(options.port === undefined ? {} : { ALMREADY_PORT: options.port }),
          ...(options.host === undefined ? {} : { ALMREADY_HOST: options.host }),
        });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        context.io.err(error.message);
        context.exitCode = 1;
        return;
      }
      const server = await startServer(config, { demo: options.demo, print: (line) => context.io.out(line) });
      await new Promise<void>((resolve) => {
        let stopping = false;
        // Listeners stay installed: a second signal (Ctrl-C reaches both `npm start` and this
        // process) must not kill the shutdown halfway.
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) return;
          stopping = true;
          context.io.out(`Received ${signal}; finishing in-flight requests…`);
          server.close().then(resolve, (error: unknown) => {
            context.io.err(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
            context.exitCode = 1;
            resolve();
          });
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      context.io.out('ALMReady stopped.');
      // Worker threads or native handles from other modules must not keep a stopped server alive.
      setTimeout(() => process.exit(context.exitCode), 3_000).unref();
    });
}
