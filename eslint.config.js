import tseslint from 'typescript-eslint'

const SERVICES = [
  '@isobar/sensor-analytics',
  '@isobar/weather-streamer',
  '@isobar/registry',
  '@isobar/admin-api',
  '@isobar/ingest',
  '@isobar/notifier',
]
const SERVICE_IMPORTS = SERVICES.map((name) => ({
  name,
  message: 'services are imported by nothing: spawn its main.ts, or move what you need into a library package',
}))

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.isobar/**',
      'packages/kafka-local/lib/**',
      '**/scratch/**',
      'packages/web/dist/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test()/describe() return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: ['@isobar/*/src/*'] }],
    },
  },
  {
    // Tests read JSON printed by the CLI and services; asserting on its shape is the point.
    files: ['packages/*/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // Services run as processes and are imported by nothing: not by another service, the CLI or the benchmarks
    // (they may spawn a service's main.ts). Shared code goes into a library package (core, schemas, stream,
    // alerts, simulator, …). Tests may still start a service in-process as a fixture.
    files: ['packages/*/src/**/*.ts', 'packages/*/bin/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@isobar/*/src/*'], paths: SERVICE_IMPORTS }],
    },
  },
  { files: ['eslint.config.js', '**/*.js'], ...tseslint.configs.disableTypeChecked },
)
