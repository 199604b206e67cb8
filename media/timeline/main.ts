// The timeline webview's entry (bundled by scripts/build.mjs to dist/timeline.js, an IIFE): builds
// the panel inside #timeline-root, connects it to the host through acquireVsCodeApi(), and says
// `ready` so the host sends `configure`.

import { HostChannel } from './host-channel.js';
import { buildLayout } from './layout.js';
import { TimelineApp } from './timeline-app.js';

const root = document.getElementById('timeline-root') ?? document.body;
const channel = new HostChannel(acquireVsCodeApi());
new TimelineApp(buildLayout(root), channel);
channel.start(window);
