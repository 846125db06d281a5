import { expect } from 'chai';
import { LabError } from '../../src/errors.js';
import { parseSpec } from '../../src/spec/load.js';

/** The error a spec text is rejected with (as if read from /labs/broken.yaml); a spec accepted fails the test. */
export function specRejection(text: string): LabError {
  try {
    parseSpec(text, '/labs/broken.yaml');
  } catch (error) {
    expect(error).to.be.instanceOf(LabError);
    return error as LabError;
  }
  throw new Error('the spec was accepted');
}
