/** The parts of Docker Engine API objects galley reads (API 1.41 and newer). Durations are nanoseconds. */

export interface Healthcheck {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
}

export interface UpdateConfig {
  Parallelism?: number;
  Delay?: number;
  Monitor?: number;
  FailureAction?: string;
  Order?: string;
  MaxFailureRatio?: number;
}

export interface ServiceSpec {
  Name: string;
  Labels?: Record<string, string>;
  TaskTemplate?: {
    ContainerSpec?: { Image?: string; Healthcheck?: Healthcheck; Labels?: Record<string, string> } & Record<string, unknown>;
    Placement?: { Constraints?: string[] } & Record<string, unknown>;
    RestartPolicy?: { Condition?: string; Delay?: number; MaxAttempts?: number; Window?: number };
    ForceUpdate?: number;
  } & Record<string, unknown>;
  Mode?: {
    Replicated?: { Replicas?: number };
    Global?: Record<string, never>;
    ReplicatedJob?: Record<string, unknown>;
    GlobalJob?: Record<string, unknown>;
  };
  UpdateConfig?: UpdateConfig;
  RollbackConfig?: UpdateConfig;
  Networks?: { Target: string; Aliases?: string[] }[];
  EndpointSpec?: Record<string, unknown>;
}

export type UpdateState = 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed';

export interface SwarmService {
  ID: string;
  Version: { Index: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec: ServiceSpec;
  PreviousSpec?: ServiceSpec;
  UpdateStatus?: { State?: UpdateState; Message?: string; StartedAt?: string; CompletedAt?: string } | null;
}

export type TaskState =
  | 'new'
  | 'allocated'
  | 'pending'
  | 'assigned'
  | 'accepted'
  | 'preparing'
  | 'ready'
  | 'starting'
  | 'running'
  | 'complete'
  | 'shutdown'
  | 'failed'
  | 'rejected'
  | 'remove'
  | 'orphaned';

export interface SwarmTask {
  ID: string;
  Version?: { Index: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState: TaskState;
  Spec?: { ContainerSpec?: { Image?: string } };
  Status: {
    Timestamp?: string;
    State: TaskState;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; PID?: number; ExitCode?: number };
  };
}

export interface SwarmNode {
  ID: string;
  Description?: { Hostname?: string };
  Spec?: { Role?: string; Availability?: string; Labels?: Record<string, string> };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string };
}

export interface SwarmObject {
  ID: string;
  Version?: { Index: number };
  CreatedAt?: string;
  Spec: { Name: string; Labels?: Record<string, string>; Data?: string; Templating?: { Name?: string } | null };
}

export interface DockerNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  Labels?: Record<string, string>;
}

export interface DockerVolume {
  Name: string;
  Driver?: string;
  Labels?: Record<string, string> | null;
}

export interface ContainerSummary {
  Id: string;
  Names?: string[];
  Image?: string;
  ImageID?: string;
  State?: string;
  Labels?: Record<string, string>;
}

export interface ContainerInspect {
  Id: string;
  Image: string;
  State?: {
    Status?: string;
    ExitCode?: number;
    Health?: { Status?: string; FailingStreak?: number; Log?: { Start?: string; End?: string; ExitCode?: number; Output?: string }[] };
  };
  Config?: { Labels?: Record<string, string> };
}

export interface ImageInspect {
  Id: string;
  RepoDigests?: string[];
  RepoTags?: string[];
}

export interface EngineInfo {
  Name?: string;
  /** The engine's clock (RFC 3339). */
  SystemTime?: string;
  ServerVersion?: string;
  Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string; Nodes?: number; Managers?: number };
}
