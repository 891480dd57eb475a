"""The compiler: front ends, IR, passes, driver and CLI."""
