"""mockc: compile API contracts into standalone mock servers."""
