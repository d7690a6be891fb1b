// The EU DCC JSON schema (1.3.3, the last release; shipped in schema/, Apache-2.0) and its
// validator. Draft 2020-12 as the schema declares; the four split files are registered by their
// $id so nothing is ever fetched. Compiled once: at the kiosk's start (prepareDccSchema), or on first use.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonObject } from '../../../../common/formats/dcc/dcc-claims.js';
import { stageFail, stageOk, type StageResult } from '../../../../common/types/result.js';
import coreTypes from './schema/1.3.3/DCC.Core.Types.schema.json' with { type: 'json' };
import main from './schema/1.3.3/DCC.schema.json' with { type: 'json' };
import types from './schema/1.3.3/DCC.Types.schema.json' with { type: 'json' };
import valueSets from './schema/1.3.3/DCC.ValueSets.schema.json' with { type: 'json' };

export const DCC_SCHEMA_VERSION = '1.3.3';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  // strict: false because the schema uses the annotation keyword "valueset-uri"; value-set codes
  // are not enumerated in the schema (the business rules check them).
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  // ajv-formats is CommonJS whose module.exports is the plugin and also has it as .default.
  addFormatsModule.default(ajv, ['date', 'date-time']);
  ajv.addSchema([coreTypes, types, valueSets]);
  compiled = ajv.compile(main);
  return compiled;
}

/**
 * Compiles the validator now rather than at the first EU DCC scanned (100–250 ms under load):
 * the kiosk calls it once it has started, so the first traveller of the day does not wait.
 */
export function prepareDccSchema(): void {
  validator();
}

/** Whether the validator is compiled (for tests of the warm-up). */
export function dccSchemaPrepared(): boolean {
  return compiled !== undefined;
}

/** Validates an hcert payload against the DCC schema; the first problem is the detail. */
export function validateDccPayload(payload: JsonObject): StageResult<JsonObject> {
  const validate = validator();
  if (validate(payload)) return stageOk(payload);
  const first = validate.errors?.[0];
  const where = first === undefined ? '' : `${first.instancePath || '/'} ${first.message ?? 'is invalid'}`;
  return stageFail({ code: 'dcc_schema_invalid', detail: `schema ${DCC_SCHEMA_VERSION}: ${where}`.trim() });
}
