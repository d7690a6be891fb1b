// What the IPC channels provision:* drive (src/main/ipc/handle-request.ts). Every call answers
// at once: work with the hub runs in the background and shows as `busy` in the state.
import type { RequestOf } from '../../common/ipc/contract.js';
import type { FactoryResetResult, ProvisionState, ResetPrepare } from '../../common/ipc/provision-view.js';

export interface ProvisioningControl {
  state(): ProvisionState;
  enrol(request: RequestOf<'provision:enrol'>): ProvisionState;
  confirmFingerprint(request: RequestOf<'provision:confirm-fingerprint'>): ProvisionState;
  sync(): ProvisionState;
  finish(request: RequestOf<'provision:finish'>): ProvisionState;
  resetPrepare(): ResetPrepare;
  factoryReset(request: RequestOf<'provision:factory-reset'>): FactoryResetResult;
}
