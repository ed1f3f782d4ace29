"""A human page documenting the API, rendered on the server from the same
OpenAPI document the API serves (no script, no CDN)."""

import json

from django.shortcuts import render


def api_docs(request):
    from directory.api import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = []
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {})
                ref = content.get("schema", {}).get("$ref", "")
                responses.append((status, ref.rsplit("/", 1)[-1]))
            operations.append(
                {
                    "method": method.upper(),
                    "path": path if path.startswith("/api/") else "/api/v1" + path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "type": describe(p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "responses": responses,
                }
            )
    components = [
        {
            "name": name,
            "fields": [
                (field, describe(spec), spec.get("description", ""))
                for field, spec in component.get("properties", {}).items()
            ],
        }
        for name, component in schema.get("components", {}).get("schemas", {}).items()
    ]
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "openapi_version": schema["openapi"],
            "operations": operations,
            "components": components,
            "api_root": "/api/v1/",
            "hsds_root": "/api/hsds/",
            "sitemap": "/sitemap.xml",
        },
    )


def describe(spec):
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in spec:
        return " or ".join(describe(s) for s in spec["anyOf"])
    kind = spec.get("type", "")
    if kind == "array":
        return f"list of {describe(spec.get('items', {}))}"
    if "enum" in spec:
        return f"{kind}: " + " | ".join(json.dumps(v) for v in spec["enum"][:12])
    if spec.get("format"):
        return f"{kind} ({spec['format']})"
    return kind or "any"
