"""Reads, validates and compiles WeChat-format mini-program projects into runtime bundles.

Pure: no database, no HTTP. The entry point is `miniapp.compiler.build.compile_project`.
"""
