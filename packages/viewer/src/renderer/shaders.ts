/** Vertex stage: a clip-space triangle; the fragment stage gets normalized device coordinates. */
export const vertexShader = /* glsl */ `
varying vec2 ndc;
void main() {
  ndc = position.xy;
  gl_Position = vec4(position.xy, 0.0, 1.0);
}`;

/**
 * Fragment stage: the ray through the pixel, then its longitude and latitude
 * in the equirectangular image (row 0 at the top, yaw 0 at the centre column).
 */
export const fragmentShader = /* glsl */ `
uniform sampler2D mapA;
uniform sampler2D mapB;
uniform float mixB;
uniform vec3 fwd;
uniform vec3 right;
uniform vec3 up;
uniform vec2 tanHalf;
varying vec2 ndc;
vec4 pano(sampler2D map, vec3 d) {
  return texture2D(map, vec2(atan(d.x, d.z) * 0.15915494309189535 + 0.5, 0.5 - asin(clamp(d.y, -1.0, 1.0)) * 0.3183098861837907));
}
void main() {
  vec3 d = normalize(fwd + right * (ndc.x * tanHalf.x) + up * (ndc.y * tanHalf.y));
  vec4 color = pano(mapA, d);
  if (mixB > 0.0) color = mix(color, pano(mapB, d), mixB);
  gl_FragColor = vec4(color.rgb, 1.0);
}`;
