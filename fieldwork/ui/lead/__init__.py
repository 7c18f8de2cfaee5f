"""The lead inspector's tasks in the app: setup bundles, keys, data exports, sync history."""
