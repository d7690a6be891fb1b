import { describe, expect, it } from 'vitest';
import { OUTCOMES } from '../common/types/verdict.js';
import { createVerdictSoundPlayer, verdictTones } from './verdict-sound.js';

describe('verdict sounds', () => {
  it('differ per result class in rhythm and timbre, not only pitch', () => {
    const signatures = OUTCOMES.map((outcome) => {
      const tones = verdictTones(outcome);
      return `${String(tones.length)}:${tones.map((tone) => tone.wave).join(',')}`;
    });
    expect(new Set(signatures).size).toBe(OUTCOMES.length);
  });

  it('stay short: each is over within a second', () => {
    for (const outcome of OUTCOMES) {
      for (const tone of verdictTones(outcome)) expect(tone.start + tone.duration).toBeLessThan(1);
    }
  });

  it('leaves the screen silent when no audio context can be made', () => {
    let made = 0;
    const player = createVerdictSoundPlayer(() => {
      made += 1;
      throw new Error('no audio device');
    });
    expect(() => player.play('admit')).not.toThrow();
    expect(() => player.play('deny')).not.toThrow();
    expect(made).toBe(1);
  });
});
