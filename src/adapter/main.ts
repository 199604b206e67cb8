// The debug adapter as a program (dist/adapter.js): one session over stdin/stdout, as VS Code
// runs an external adapter and as the DAP tests drive it.

import { DebugSession } from '@vscode/debugadapter';
import { RvreplayDebugSession } from './debug-session.js';

DebugSession.run(RvreplayDebugSession);
