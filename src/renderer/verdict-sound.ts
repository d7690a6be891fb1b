// One sound per result class, generated with Web Audio (no audio files): a rising two-note
// chime for admit, a low double buzz for deny, a three-note call for review. Each differs in
// pitch, rhythm and timbre, so they can be told apart without hearing pitch well.
import type { Outcome } from '../common/types/verdict.js';

export interface ToneStep {
  /** Hz. */
  frequency: number;
  /** Offset from the start, in seconds. */
  start: number;
  /** Seconds. */
  duration: number;
  wave: 'sine' | 'square' | 'triangle';
}

export function verdictTones(outcome: Outcome): readonly ToneStep[] {
  switch (outcome) {
    case 'admit':
      return [
        { frequency: 880, start: 0, duration: 0.12, wave: 'sine' },
        { frequency: 1320, start: 0.13, duration: 0.18, wave: 'sine' },
      ];
    case 'deny':
      return [
        { frequency: 220, start: 0, duration: 0.22, wave: 'square' },
        { frequency: 220, start: 0.3, duration: 0.22, wave: 'square' },
      ];
    case 'review':
      return [
        { frequency: 660, start: 0, duration: 0.12, wave: 'triangle' },
        { frequency: 660, start: 0.16, duration: 0.12, wave: 'triangle' },
        { frequency: 495, start: 0.32, duration: 0.2, wave: 'triangle' },
      ];
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${String(unreachable)}`);
    }
  }
}

/** Quiet enough not to startle, loud enough at a door: square waves carry more, so less gain. */
function gainFor(wave: ToneStep['wave']): number {
  switch (wave) {
    case 'sine':
      return 0.35;
    case 'triangle':
      return 0.35;
    case 'square':
      return 0.12;
    default: {
      const unreachable: never = wave;
      throw new Error(`unknown wave ${String(unreachable)}`);
    }
  }
}

export interface VerdictSoundPlayer {
  play(outcome: Outcome): void;
}

/**
 * Plays the tones through one AudioContext made on first use. A browser that refuses audio
 * (no device, autoplay rules) leaves the screen silent: the verdict is still shown.
 */
export function createVerdictSoundPlayer(makeContext: () => AudioContext | null): VerdictSoundPlayer {
  let context: AudioContext | null | undefined;
  return {
    play(outcome) {
      if (context === undefined) {
        try {
          context = makeContext();
        } catch {
          context = null;
        }
      }
      const audio = context;
      if (audio === null) return;
      if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
      const origin = audio.currentTime + 0.01;
      for (const step of verdictTones(outcome)) {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.type = step.wave;
        oscillator.frequency.value = step.frequency;
        const begin = origin + step.start;
        const end = begin + step.duration;
        // A short ramp in and out: no clicks.
        gain.gain.setValueAtTime(0, begin);
        gain.gain.linearRampToValueAtTime(gainFor(step.wave), begin + 0.01);
        gain.gain.setValueAtTime(gainFor(step.wave), end - 0.02);
        gain.gain.linearRampToValueAtTime(0, end);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(begin);
        oscillator.stop(end + 0.01);
      }
    },
  };
}
