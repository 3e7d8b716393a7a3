// The terminal renderer: the concise report printed by default, in colour on a TTY.
import { renderDiffTerminal } from './terminal-diff.js';
import type { Renderer } from './types.js';

export const terminalRenderer: Renderer = {
  name: 'terminal',
  description: 'the concise text report printed by default',
  extensions: ['.txt'],
  render: (result, options) => renderDiffTerminal(result, { color: options?.color ?? false }),
};
