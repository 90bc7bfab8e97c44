/** Output names of action.yml, in one place. */
export const Output = {
  version: 'version',
  tags: 'tags',
  tagNames: 'tag-names',
  labels: 'labels',
  annotations: 'annotations',
  json: 'json',
  digest: 'digest',
  imageId: 'imageid',
  metadata: 'metadata',
  refs: 'refs',
  pushed: 'pushed',
  reused: 'reused',
  fingerprint: 'fingerprint',
  heldBack: 'held-back',
  testResult: 'test-result',
  testExitCode: 'test-exit-code',
  testDuration: 'test-duration',
  artifactId: 'artifact-id',
  signatures: 'signatures',
  verifyCommands: 'verify-commands',
  publicKey: 'public-key',
  attestationId: 'attestation-id',
  attestations: 'attestations',
  targets: 'targets',
} as const;

/** State the main step saves for the post step. */
export const State = {
  isPost: 'isPost',
  dockerConfig: 'dockerConfig',
  registries: 'registries',
  tempDir: 'tempDir',
  testContainer: 'testContainer',
} as const;

/** The file of the step's temp dir that the post step re-checks the moving tags from. */
export const MOVED_RECORD = 'moved-tags.json';
