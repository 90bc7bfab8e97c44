// The end-to-end test harness: the bundled action started as the runner
// starts it, against a real engine, real registries and an artifact service
// stand-in. See __tests__/e2e/harness.test.ts for each part in use.
export {
  inputVariable,
  parseCommands,
  parseFileCommand,
  readActionDefinition,
  runAction,
  runPost,
  type ActionDefinition,
  type ActionRun,
  type PostOptions,
  type RunDirs,
  type RunningStep,
  type RunOptions,
  type StepFiles,
  type WorkflowCommand,
} from './action.js';
export {
  startArtifactServer,
  type ArtifactRequest,
  type ArtifactServer,
  type ArtifactServerOptions,
  type UploadedArtifact,
} from './artifact-server.js';
export {
  arm64BusyboxPath,
  busyboxBase,
  busyboxDockerfile,
  busyboxPath,
  makeContext,
  platformContext,
  type BuildContext,
} from './build-context.js';
export {
  recordChildEnvironments,
  type ChildEnvironment,
  type ChildEnvRecorder,
} from './child-env.js';
export { COSIGN, generateKeyPair, runCosign, verifyWithKey, type KeyPair } from './cosign.js';
export { docker, engineReady, type DockerOptions, type DockerResult } from './docker.js';
export {
  defaultCommitDate,
  defaultSha,
  pullRequestEvent,
  pushEvent,
  repositoryPayload,
  type GitHubEvent,
  type PullRequestOptions,
  type PushOptions,
  type RepositoryOptions,
} from './events.js';
export {
  startForwardProxy,
  type ForwardedRequest,
  type ForwardProxy,
  type ForwardProxyOptions,
} from './forward-proxy.js';
export {
  startGitHubApi,
  type GitHubApi,
  type GitHubApiRequest,
  type RunsAnswer,
} from './github-api.js';
export { freePort, startSilentServer, waitFor, type SilentServer } from './net.js';
export { makeTempDir, removeTempDir, removeTempDirs, repoRoot } from './paths.js';
export { commandLines, processListWhile, type ProcessSample } from './processes.js';
export {
  manifestAccept,
  releasedTags,
  startRegistry,
  type ImageTree,
  type Manifest,
  type Registry,
  type RegistryOptions,
} from './registry.js';
export {
  fromEngine,
  startFaultyProxy,
  type Fault,
  type FaultyProxy,
  type FaultyProxyOptions,
  type IncomingProxyRequest,
  type ProxiedRequest,
} from './proxy.js';
export { assertNoCredentialsLeft, assertNoSecrets, type SecretScanOptions } from './secrets.js';
export { readZip, writeZip } from './zip.js';
export {
  containerdEngine,
  containerdStore,
  engineEnv,
  engineName,
  installEnginePlugins,
  useEngine,
  type EngineName,
} from './engine.js';
export { builderConfig, buildkit, realBuildkit, type RealBuildkit } from './buildkit.js';
