"""Render the website's files from the model: `Project` -> {site path: text or bytes} (`site`)."""
