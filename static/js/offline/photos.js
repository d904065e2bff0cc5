/* Photos resized on the phone to the photo pipeline's large size (registry/photos/renditions.py,
 * LARGE_SIDE), as JPEG: a 12-megapixel photo becomes a few hundred kilobytes to keep and send.
 * A photo the browser cannot decode is kept as taken, never dropped: the server then says why it
 * refuses it (a damaged file), and the worker can fix the log. */

function fit(width, height, side) {
  const scale = Math.min(1, side / Math.max(width, height));
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

function jpegName(name) {
  return (name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
}

async function resized(file, side, quality) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const [width, height] = fit(bitmap.width, bitmap.height, side);
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return canvas.convertToBlob({ type: "image/jpeg", quality });
}

/** [{name, type, blob, resized}] for the chosen files, in order. */
export async function preparePhotos(files, side, quality) {
  const prepared = [];
  for (const file of files) {
    try {
      const blob = await resized(file, side, quality);
      prepared.push({ name: jpegName(file.name), type: "image/jpeg", blob, resized: true });
    } catch (error) {
      prepared.push({ name: file.name, type: file.type, blob: file, resized: false });
    }
  }
  return prepared;
}
