"""Browser tests of the built site (a package, so its conftest and the one above it do not clash)."""
