// The control: the same app with the drop zone, whose bundle must hold every marker string.
import { IKContext, IKDropzone, IKUpload } from '@ik-upload/react'
import { createRoot } from 'react-dom/client'

createRoot(document.getElementById('root')).render(
  <IKContext publicKey="public_test_key" authenticationEndpoint="/api/imagekit-auth">
    <IKUpload fileName="avatar.png" />
    <IKDropzone />
  </IKContext>,
)
