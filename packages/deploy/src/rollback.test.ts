import { describe, expect, it } from '@jest/globals';
import { planRollback, type StackSnapshot } from './rollback.js';
import type { SwarmService } from './swarm-state.js';

function svc(name: string, image: string, status?: SwarmService['UpdateStatus']): SwarmService {
  const s: SwarmService = { ID: name, Version: { Index: 1 }, Spec: { Name: name, TaskTemplate: { ContainerSpec: { Image: image } } } };
  if (status) s.UpdateStatus = status;
  return s;
}

describe('planRollback', () => {
  it('rolls back changed services, removes new ones, recreates pruned ones, leaves swarm-rolled-back and unchanged ones alone', () => {
    const before: StackSnapshot = {
      services: new Map([
        ['st_app', svc('st_app', 'img:1')],
        ['st_db', svc('st_db', 'db:1')],
        ['st_web', svc('st_web', 'web:1', { State: 'rollback_completed', StartedAt: 'old' })],
        ['st_worker', svc('st_worker', 'w:1')],
        ['st_gone', svc('st_gone', 'gone:1')],
      ]),
    };
    const after = [
      svc('st_app', 'img:2', { State: 'paused', StartedAt: 'new' }),
      svc('st_db', 'db:1'),
      svc('st_web', 'web:2', { State: 'updating', StartedAt: 'new' }),
      svc('st_worker', 'w:2', { State: 'rollback_completed', StartedAt: 'new' }),
      svc('st_cache', 'cache:1'),
    ];
    expect(planRollback(before, after)).toEqual({
      rollback: ['st_app', 'st_web'],
      swarmRolledBack: ['st_worker'],
      remove: ['st_cache'],
      recreate: ['st_gone'],
    });
  });
});
