/**
 * What a message looks like after its sender edited it. WhatsApp sends the new content whole (a text
 * as `conversation` or `extendedTextMessage`, a caption inside the media message's own type), so a
 * text replaces the text, and a media message keeps its file and takes the new caption.
 */
export function editedContent(
  stored: { message: Record<string, unknown>; messageType: string },
  replacement: Record<string, unknown>,
): { message: Record<string, unknown>; messageType: string } {
  const [newType] = Object.keys(replacement)
  if (!newType) return stored
  const storedInner = stored.message[stored.messageType]
  const newInner = replacement[newType]
  if (newType === stored.messageType && isObject(storedInner) && isObject(newInner)) {
    return { message: { ...stored.message, [newType]: { ...storedInner, ...newInner } }, messageType: newType }
  }
  const newText = textOf(replacement)
  if (newText !== undefined && isObject(storedInner) && 'caption' in storedInner) {
    return { message: { ...stored.message, [stored.messageType]: { ...storedInner, caption: newText } }, messageType: stored.messageType }
  }
  return { message: replacement, messageType: newType }
}

/** The text of a text message, whichever of WhatsApp's two text shapes it has. */
export function textOf(message: Record<string, unknown>): string | undefined {
  if (typeof message.conversation === 'string') return message.conversation
  const extended = message.extendedTextMessage
  return isObject(extended) && typeof extended.text === 'string' ? extended.text : undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
