"""A local replica of Vinted's upload page and internal API: see tests.fakes.vinted.server."""
