import { describe, expect, it } from '@jest/globals';
import { readScores, scoreView } from './scores.js';

describe('scores', () => {
  it('reads every written form: numbers, "3, stable", legacy emoji, yes/no words, N/A, empty', () => {
    expect(scoreView('status', '3, stable')).toMatchObject({ level: 3, display: '3 of 5 (stable)', tone: 'ok', writtenAs: '3, stable' });
    expect(scoreView('status', '4')).toMatchObject({
      level: 4,
      display: '4 of 5',
      tone: 'good',
      meaning: 'Upstream image, backups, email, healthcheck and integration tests.',
    });
    expect(scoreView('status', '4').writtenAs).toBeUndefined();
    expect(scoreView('image', '❶💚')).toMatchObject({ level: 4, display: '4 of 4', tone: 'good', meaning: 'The official upstream image.' });
    expect(scoreView('email', '❸')).toMatchObject({ level: 2, tone: 'ok' });
    expect(scoreView('healthcheck', 'Yes')).toMatchObject({ level: 1, display: 'Yes', tone: 'good' });
    expect(scoreView('backups', '❌')).toMatchObject({ level: 0, display: 'No', tone: 'poor' });
    expect(scoreView('sso', 'N/A')).toMatchObject({ level: 'na', display: 'N/A', tone: 'none', meaning: 'Not applicable to this app.' });
    expect(scoreView('tests', '')).toMatchObject({ level: undefined, display: 'unknown', tone: 'none', meaning: 'The README does not say.' });
    expect(scoreView('tests', 'lots')).toMatchObject({ level: undefined, meaning: 'Written as “lots”, which galley does not understand.' });
    expect(scoreView('status', '0')).toMatchObject({ level: 0, tone: 'none', meaning: 'Not rated yet.' });
  });

  it('reads all seven scores of a features block, in a fixed order', () => {
    const scores = readScores({
      backups: 'Yes',
      email: '2',
      healthcheck: 'No',
      tests: '1',
      sso: 'N/A',
      status: 2,
      image: { image: 'nginx', rating: '3', source: 'upstream', url: '' },
    });
    expect(scores.map((s) => [s.key, s.level])).toEqual([
      ['status', 2],
      ['image', 3],
      ['healthcheck', 0],
      ['backups', 1],
      ['email', 2],
      ['sso', 'na'],
      ['tests', 1],
    ]);
  });
});
