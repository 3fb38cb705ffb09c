import { testRule } from '@galley/linter/testing';
import rule from './compose-version.js';

testRule(rule, {
  valid: [
    { name: 'double and single quotes', files: { 'compose.yml': 'version: "3.8"\nservices: {}\n', 'compose.smtp.yml': "version: '3.8'\nservices: {}\n" } },
    { name: 'an empty file', files: { 'compose.yml': '' } },
  ],
  invalid: [
    {
      name: 'missing in an overlay, after --- and a comment',
      files: { 'compose.yml': 'version: "3.8"\nservices: {}\n', 'compose.smtp.yml': '---\n# SMTP relay\nservices:\n  app:\n    environment: [A=1]\n' },
      errors: [
        {
          messageId: 'missing',
          message: 'compose.smtp.yml declares no `version`; recipes use version: "3.8"',
          file: 'compose.smtp.yml',
          line: 3,
          col: 1,
          endLine: 3,
          endCol: 9,
        },
      ],
      output: { 'compose.smtp.yml': '---\n# SMTP relay\nversion: "3.8"\nservices:\n  app:\n    environment: [A=1]\n' },
    },
    {
      name: 'unquoted 3.8',
      files: { 'compose.yml': 'version: 3.8 # swarm\nservices: {}\n' },
      errors: [{ messageId: 'unquoted', message: '`version: 3.8` is a number; write it as the string "3.8"', line: 1, col: 10, endLine: 1, endCol: 13 }],
      output: { 'compose.yml': 'version: "3.8" # swarm\nservices: {}\n' },
    },
    {
      name: 'an older 3.x is raised',
      files: { 'compose.yml': "version: '3.7'\nservices: {}\n" },
      errors: [{ messageId: 'other', message: 'compose.yml declares version "3.7"; recipes use version "3.8"', line: 1, col: 10, endLine: 1, endCol: 15 }],
      output: { 'compose.yml': 'version: "3.8"\nservices: {}\n' },
    },
    {
      name: 'a newer version is only suggested',
      files: { 'compose.yml': 'version: "3.9"\nservices: {}\n' },
      errors: [
        {
          messageId: 'other',
          line: 1,
          col: 10,
          endLine: 1,
          endCol: 15,
          suggestions: [{ desc: 'set version "3.8"', output: { 'compose.yml': 'version: "3.8"\nservices: {}\n' } }],
        },
      ],
      output: null,
    },
  ],
});
