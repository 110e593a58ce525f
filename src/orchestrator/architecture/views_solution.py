"""Pages of solution architectures: authoring, tracing, conformance and sign-off."""

urls: list = []
