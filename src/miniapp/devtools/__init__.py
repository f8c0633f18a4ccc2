"""`miniapp dev PROJECT_DIR`: the developer's simulator.

The platform runs locally in development mode with one project compiled, registered and released
as an app; a watcher recompiles it on every change (`builds.DevProject`, `watcher.ProjectWatcher`)
and the simulator page at `/dev` (web/dev/) relaunches it whenever a new build is published
(`routes`: `GET /api/dev/build` long-polls). `runner.run_dev` is the command itself.
"""
