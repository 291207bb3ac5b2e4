// The capture screen's photos: made fit for one bar of signal before they are queued (the server
// keeps at most 2,048 px too, collab/media.py).

const PHOTO_MAX_SIDE = 2048;

/** A photo fit for one bar of signal: upright, at most 2,048 px, JPEG, and no metadata (GPS). */
export async function preparePhoto(file) {
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close?.();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (blob) return { blob, type: 'image/jpeg', name: 'photo.jpg' };
  } catch {
    // A format this browser cannot draw (HEIC…): send the file as it is; the server decides.
  }
  return { blob: file, type: file.type || 'application/octet-stream', name: file.name || 'photo' };
}
