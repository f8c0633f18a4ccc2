// Host side of the media wx APIs: merged into the container's HOST_APIS (`this` is the MiniProgram;
// a handler takes the call's args and returns its result or throws {errMsg}).

export const MEDIA_APIS = {};
