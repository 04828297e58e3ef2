"""The pages of the event pipeline: staff pages, service-item pages, the public side."""
