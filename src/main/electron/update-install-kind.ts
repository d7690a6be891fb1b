// How this installation of the kiosk updates itself, from how it was installed: the NSIS
// installer on Windows, the AppImage replacing itself, or the deb through the root helper.
// Anything else (an unpacked folder, a developer checkout) cannot update itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type UpdateInstallKind = 'nsis' | 'appimage' | 'deb';

/** electron-builder writes resources/package-type ("deb") into deb packages. */
export function readPackageType(resourcesPath: string): string | null {
  try {
    return readFileSync(join(resourcesPath, 'package-type'), 'utf8').trim();
  } catch {
    return null;
  }
}

export function updateInstallKind(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  packageType: () => string | null,
): UpdateInstallKind | null {
  switch (platform) {
    case 'win32':
      return 'nsis';
    case 'linux': {
      const appImage = env['APPIMAGE'];
      if (appImage !== undefined && appImage !== '') return 'appimage';
      return packageType() === 'deb' ? 'deb' : null;
    }
    default:
      return null;
  }
}
