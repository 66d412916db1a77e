/**
 * RGBA bytes of an example image as the data holds it (values 0–1, channel-major): grey
 * images as ink on paper (1 is the darkest, as the digits are written), colour images as they
 * are. The mistakes gallery and the CNN inside view draw inputs with it.
 */
export function pictureBytes(
  channels: number,
  height: number,
  width: number,
  pixels: ArrayLike<number>,
): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(height * width * 4);
  const plane = height * width;
  for (let i = 0; i < plane; i++) {
    const [r, g, b] =
      channels === 1
        ? [1 - pixels[i], 1 - pixels[i], 1 - pixels[i]]
        : [pixels[i], pixels[plane + i], pixels[2 * plane + i]];
    rgba.set([r * 255, g * 255, b * 255, 255], i * 4);
  }
  return rgba;
}
