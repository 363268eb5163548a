/** `vidgate models`: what the gateway serves (aliases and their targets, direct models and what they can do). */
import type { Command } from 'commander';
import type { Context } from '../context.ts';
import { modelTables } from '../format.ts';
import { gatewayOptions } from './options.ts';

export function registerModels(program: Command, context: Context): void {
  gatewayOptions(program.command('models').description('list the models and aliases the gateway serves, with their capabilities')).action(async (options: { url?: string; json?: boolean }) => {
    context.result(await context.client(options).listModels(), modelTables);
  });
}
