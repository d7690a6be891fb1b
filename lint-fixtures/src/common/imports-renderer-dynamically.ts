// expect: crossLayer
export async function loadView() {
  return import('../renderer/view.js');
}
