# A small page of a typical size, shared by the raw WSGI and the Django reference.
BODY = (
    b"<!doctype html><html lang=en><head><meta charset=utf-8><title>Constant</title></head>"
    b"<body><main><h1>Constant page</h1>"
    + b"<p>Reference body for the benchmark.</p>" * 50
    + b"</main></body></html>"
)
