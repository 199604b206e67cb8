// The version of rvreplay, as package.json gives it (a unit test keeps the two equal). Logs and
// snapshots name the version that wrote them.

export const RVREPLAY_VERSION = '0.1.0';
