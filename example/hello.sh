#!/bin/sh
# The example app: says which image it runs in.
echo "hello from the build-tag-push example ($(uname -m))"
