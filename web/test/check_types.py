#!/usr/bin/env python3
"""Fails when web/src/api/types.ts and the HTTP contract (Sources/MarqueeAPI/openapi.yaml)
disagree. Every interface and type alias declared in types.ts must be a schema of the same
name in the document, with the same fields, the same optional fields and the same types.

Usage: python3 web/test/check_types.py [TYPES_TS] [OPENAPI_YAML]
"""
import os
import re
import sys

import yaml

here = os.path.dirname(os.path.abspath(__file__))
types_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src", "api", "types.ts")
openapi_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "..", "Sources", "MarqueeAPI", "openapi.yaml")


def ts_type(schema):
    """The TypeScript type the document's schema says, written as types.ts writes it."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "oneOf" in schema:
        return " | ".join(ts_type(part) for part in schema["oneOf"])
    if "enum" in schema:
        return " | ".join(f'"{value}"' for value in schema["enum"])
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    names = []
    for kind in kinds:
        if kind == "array":
            item = ts_type(schema["items"])
            names.append(f"({item})[]" if " " in item else f"{item}[]")
        elif kind in ("integer", "number"):
            names.append("number")
        elif kind in ("string", "boolean", "null"):
            names.append(kind)
        else:
            raise ValueError(f"no TypeScript for {schema}")
    return " | ".join(names)


def document_declarations(document):
    """name -> ("alias", type) or ("interface", base, {field: (optional, type)})."""
    out = {}
    for name, schema in document["components"]["schemas"].items():
        base = None
        if "allOf" in schema:
            refs = [part for part in schema["allOf"] if "$ref" in part]
            objects = [part for part in schema["allOf"] if "$ref" not in part]
            base = refs[0]["$ref"].rsplit("/", 1)[-1] if refs else None
            schema = objects[0] if objects else {}
        if schema.get("type") == "object" or "properties" in schema:
            required = set(schema.get("required", []))
            fields = {field: (field not in required, ts_type(value)) for field, value in schema.get("properties", {}).items()}
            out[name] = ("interface", base, fields)
        else:
            out[name] = ("alias", ts_type(schema))
    return out


def file_declarations(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    out = {}
    for name, value in re.findall(r"export type (\w+) = ([^;]+);", text):
        out[name] = ("alias", " ".join(value.split()))
    for name, base, body in re.findall(r"export interface (\w+)(?: extends (\w+))? \{(.*?)\}", text, flags=re.S):
        fields = {}
        for field, optional, kind in re.findall(r"(\w+)(\??):\s*([^;]+);", body):
            fields[field] = (optional == "?", " ".join(kind.split()))
        out[name] = ("interface", base or None, fields)
    return out


def main():
    with open(openapi_path) as source:
        document = document_declarations(yaml.safe_load(source))
    with open(types_path) as source:
        declared = file_declarations(source.read())
    if not declared:
        sys.exit(f"{types_path}: no declarations found")
    problems = []
    for name, declaration in declared.items():
        if name not in document:
            problems.append(f"{name}: types.ts declares it, the document has no such schema")
        elif declaration != document[name]:
            problems.append(f"{name}:\n    types.ts says  {declaration}\n    document says  {document[name]}")
    for problem in problems:
        print(f"types.ts disagrees with openapi.yaml: {problem}")
    print(f"{len(declared) - len(problems)} passed, {len(problems)} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
