// The reference for our workflow commands: @actions/core itself writes them.
//
// stdin: a JSON list of calls, each {"kind": "warning" | "error" | "notice" | "setSecret", "message": "...",
// "properties": {"title": ..., "file": ..., "startLine": ...}}. Each call goes to @actions/core as it is, and
// @actions/core writes its command lines to stdout, in order: the Python tests compare them byte for byte.
//
//     echo '[{"kind": "warning", "message": "m", "properties": {"file": "a.py", "startLine": 3}}]' \
//       | node tests/node/annotate.js

import { readFileSync } from 'node:fs'
import * as core from '@actions/core'

const KINDS = new Set(['warning', 'error', 'notice', 'setSecret'])
const calls = JSON.parse(readFileSync(0, 'utf8'))

for (const { kind, message, properties } of calls) {
  if (!KINDS.has(kind)) {
    throw new Error(`unknown kind ${JSON.stringify(kind)}`)
  }
  if (kind === 'setSecret') {
    core.setSecret(message)
  } else {
    core[kind](message, properties ?? {})
  }
}
