"""Protocol plug-ins that live in the test folder alone."""
