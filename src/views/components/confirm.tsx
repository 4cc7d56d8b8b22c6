// A destructive action behind a confirmation that works without JavaScript: the first tap opens a
// <details> with the question and the real button (a POST form, CSRF-checked like any other), a
// second tap on the first button closes it again (issue 16: "Remove" sat one tap from done).
import { PostForm } from './post-form'

type Props = { action: string; label: string; question: string; submit: string }

export function ConfirmAction({ action, label, question, submit }: Props) {
  return (
    <details class="confirm">
      <summary class="btn btn-danger btn-compact">{label}</summary>
      <div>
        <p>{question}</p>
        <PostForm action={action}>
          <button type="submit" class="btn btn-danger btn-compact">
            {submit}
          </button>
        </PostForm>
      </div>
    </details>
  )
}
