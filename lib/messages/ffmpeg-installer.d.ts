// @ffmpeg-installer/ffmpeg ships no types: its CommonJS export names the static binary of this platform.
declare module '@ffmpeg-installer/ffmpeg' {
  const installer: { path: string; version: string; url: string }
  export default installer
}
