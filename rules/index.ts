import type { Rule } from '@galley/linter';
import composeDuplicateEntry from './compose/duplicate-entry.js';
import composeDuplicatePublishedPort from './compose/duplicate-published-port.js';
import composeImageInvalid from './compose/image-invalid.js';
import composeImageUnparseableTag from './compose/image-unparseable-tag.js';
import composeImageUnstableTag from './compose/image-unstable-tag.js';
import composeImageUntagged from './compose/image-untagged.js';
import composeInterpolatedType from './compose/interpolated-type.js';
import composeInterpolation from './compose/interpolation.js';
import composeInvalidDuration from './compose/invalid-duration.js';
import composeInvalidPort from './compose/invalid-port.js';
import composeInvalidSize from './compose/invalid-size.js';
import composeMissingFile from './compose/missing-file.js';
import composeSchema from './compose/schema.js';
import composeServiceImage from './compose/service-image.js';
import composeUndefinedConfig from './compose/undefined-config.js';
import composeUndefinedNetwork from './compose/undefined-network.js';
import composeUndefinedSecret from './compose/undefined-secret.js';
import composeUndefinedService from './compose/undefined-service.js';
import composeUndefinedVariable from './compose/undefined-variable.js';
import composeUndefinedVolume from './compose/undefined-volume.js';
import composeUnquotedPort from './compose/unquoted-port.js';
import composeUnusedConfig from './compose/unused-config.js';
import composeUnusedNetwork from './compose/unused-network.js';
import composeUnusedSecret from './compose/unused-secret.js';
import composeUnusedVolume from './compose/unused-volume.js';
import composeVariableInKey from './compose/variable-in-key.js';
import composeYamlSyntax from './compose/yaml-syntax.js';
import recipeAppService from './recipe/app-service.js';
import recipeComposeFileMissing from './recipe/compose-file-missing.js';
import recipeComposeVersion from './recipe/compose-version.js';
import recipeConfigVersionBump from './recipe/config-version-bump.js';
import recipeConfigVersionExport from './recipe/config-version-export.js';
import recipeEnvSample from './recipe/env-sample.js';
import recipeHealthcheckTimeout from './recipe/healthcheck-timeout.js';
import recipeObjectNameLength from './recipe/object-name-length.js';
import recipePublishedVersion from './recipe/published-version.js';
import recipeReadmeMetadata from './recipe/readme-metadata.js';
import recipeReadmeMetadataValues from './recipe/readme-metadata-values.js';
import recipeReleaseNotes from './recipe/release-notes.js';
import recipeReleaseTagAnnotated from './recipe/release-tag-annotated.js';
import recipeSecretNameLength from './recipe/secret-name-length.js';
import recipeSecretVersionEnv from './recipe/secret-version-env.js';
import recipeTraefikEnable from './recipe/traefik-enable.js';
import recipeTraefikLabels from './recipe/traefik-labels.js';
import recipeUnusedSecretVersion from './recipe/unused-secret-version.js';
import recipeUpstreamRepository from './recipe/upstream-repository.js';
import recipeVersionLabel from './recipe/version-label.js';
import securityCapabilities from './security/capabilities.js';
import securityDockerSocket from './security/docker-socket.js';
import securityHostNamespace from './security/host-namespace.js';
import securityPrivileged from './security/privileged.js';
import securityPublishedPortBehindTraefik from './security/published-port-behind-traefik.js';
import securitySecretInEnvironment from './security/secret-in-environment.js';
import swarmConflictingKeys from './swarm/conflicting-keys.js';
import swarmDependsOnLongSyntax from './swarm/depends-on-long-syntax.js';
import swarmDeprecatedKey from './swarm/deprecated-key.js';
import swarmDroppedKey from './swarm/dropped-key.js';
import swarmForbiddenKey from './swarm/forbidden-key.js';
import swarmHealthcheck from './swarm/healthcheck.js';
import swarmIgnoredKey from './swarm/ignored-key.js';
import swarmInterpolation from './swarm/interpolation.js';
import swarmReplicasGlobal from './swarm/replicas-global.js';
import swarmResourceLimits from './swarm/resource-limits.js';
import swarmRestartPolicy from './swarm/restart-policy.js';
import swarmSchema from './swarm/schema.js';
import swarmTemplateReferences from './swarm/template-references.js';
import swarmTopLevelName from './swarm/top-level-name.js';

/** Every rule galley ships, in id order. */
export const allRules: Rule[] = [
  composeDuplicateEntry,
  composeDuplicatePublishedPort,
  composeImageInvalid,
  composeImageUnparseableTag,
  composeImageUnstableTag,
  composeImageUntagged,
  composeInterpolatedType,
  composeInterpolation,
  composeInvalidDuration,
  composeInvalidPort,
  composeInvalidSize,
  composeMissingFile,
  composeSchema,
  composeServiceImage,
  composeUndefinedConfig,
  composeUndefinedNetwork,
  composeUndefinedSecret,
  composeUndefinedService,
  composeUndefinedVariable,
  composeUndefinedVolume,
  composeUnquotedPort,
  composeUnusedConfig,
  composeUnusedNetwork,
  composeUnusedSecret,
  composeUnusedVolume,
  composeVariableInKey,
  composeYamlSyntax,
  recipeAppService,
  recipeComposeFileMissing,
  recipeComposeVersion,
  recipeConfigVersionBump,
  recipeConfigVersionExport,
  recipeEnvSample,
  recipeHealthcheckTimeout,
  recipeObjectNameLength,
  recipePublishedVersion,
  recipeReadmeMetadata,
  recipeReadmeMetadataValues,
  recipeReleaseNotes,
  recipeReleaseTagAnnotated,
  recipeSecretNameLength,
  recipeSecretVersionEnv,
  recipeTraefikEnable,
  recipeTraefikLabels,
  recipeUnusedSecretVersion,
  recipeUpstreamRepository,
  recipeVersionLabel,
  securityCapabilities,
  securityDockerSocket,
  securityHostNamespace,
  securityPrivileged,
  securityPublishedPortBehindTraefik,
  securitySecretInEnvironment,
  swarmConflictingKeys,
  swarmDependsOnLongSyntax,
  swarmDeprecatedKey,
  swarmDroppedKey,
  swarmForbiddenKey,
  swarmHealthcheck,
  swarmIgnoredKey,
  swarmInterpolation,
  swarmReplicasGlobal,
  swarmResourceLimits,
  swarmRestartPolicy,
  swarmSchema,
  swarmTemplateReferences,
  swarmTopLevelName,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
