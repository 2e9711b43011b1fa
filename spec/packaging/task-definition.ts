// ecs-task-def.json, typed for the packaging specs (only the fields they check).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/data.js';

export interface NameValue {
  name: string;
  value: string;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  portMappings: { containerPort: number; protocol: string }[];
  readonlyRootFilesystem: boolean;
  mountPoints: { sourceVolume: string; containerPath: string; readOnly?: boolean }[];
  linuxParameters: { initProcessEnabled: boolean };
  stopTimeout: number;
  environment: NameValue[];
  secrets: { name: string; valueFrom: string }[];
  healthCheck: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  logConfiguration: { logDriver: string; options: Record<string, string> };
}

export interface TaskDefinition {
  family: string;
  requiresCompatibilities: string[];
  networkMode: string;
  runtimePlatform: { operatingSystemFamily: string; cpuArchitecture: string };
  cpu: string;
  memory: string;
  ephemeralStorage: { sizeInGiB: number };
  executionRoleArn: string;
  taskRoleArn: string;
  volumes: { name: string }[];
  containerDefinitions: ContainerDefinition[];
}

export function readTaskDefinition(): TaskDefinition {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'ecs-task-def.json'), 'utf8')) as TaskDefinition;
}

export function workerContainer(def: TaskDefinition): ContainerDefinition {
  const container = def.containerDefinitions.find((c) => c.name === 'worker');
  if (!container) throw new Error('ecs-task-def.json has no container named "worker"');
  return container;
}

export function environmentOf(container: ContainerDefinition): Record<string, string> {
  return Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
}

/** The command string of a `["CMD-SHELL", "…"]` health check. */
export function healthCheckShell(container: ContainerDefinition): string {
  const [kind, command] = container.healthCheck.command;
  if (kind !== 'CMD-SHELL' || command === undefined) throw new Error('healthCheck.command must be ["CMD-SHELL", "…"]');
  return command;
}

/** The port in the health check's http://127.0.0.1:PORT/health URL. */
export function healthCheckPort(command: string): number {
  const match = /http:\/\/127\.0\.0\.1:(\d+)\/health\b/.exec(command);
  if (!match) throw new Error(`health check does not probe http://127.0.0.1:PORT/health: ${command}`);
  return Number(match[1]);
}
