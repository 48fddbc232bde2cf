import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'out/',
      'archive/',
      'coverage/',
      'test-artifacts/',
      'reports/',
      '.stryker-tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    // A spread passes every item as an argument: above ~125,000 (an archive's records or
    // problems) it overflows the stack. src/model/append-all.ts says more.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(push|unshift)$/] > SpreadElement',
          message: 'push(...items) overflows the stack on archive-sized lists: use appendAll.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'] > SpreadElement",
          message: 'Math.max/min(...items) overflows the stack on archive-sized lists: use a loop.',
        },
      ],
    },
  },
);
