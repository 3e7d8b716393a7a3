// The terminal renderer: the concise report printed by default, in colour on a TTY.
import { renderDriftTerminal } from '../drift/index.js';
import { renderDiffTerminal } from './terminal-diff.js';
import { isDriftResult, type Renderer } from './types.js';

export const terminalRenderer: Renderer = {
  name: 'terminal',
  description: 'the concise text report printed by default',
  extensions: ['.txt'],
  render: (result, options) => {
    const color = options?.color ?? false;
    return isDriftResult(result)
      ? renderDriftTerminal(result, { color })
      : renderDiffTerminal(result, { color });
  },
};
